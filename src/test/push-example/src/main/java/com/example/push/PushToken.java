package com.example.push;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A device's push token and the user it belongs to. It lives in Uplink's persistence unit, so it is
 * written in the same transaction as Uplink's de-duplication record: a registration is stored once,
 * or not at all and redelivered.
 */
@Entity
@Table(name = "example_push_token")
public class PushToken {

  @Id @GeneratedValue private Long id;

  @Column(name = "user_name", nullable = false, length = 128)
  private String user;

  @Column(name = "token", nullable = false, unique = true, length = 4096)
  private String token;

  @Column(name = "registered_at", nullable = false)
  private Instant registeredAt;

  protected PushToken() {}

  PushToken(String user, String token, Instant registeredAt) {
    this.user = user;
    this.token = token;
    this.registeredAt = registeredAt;
  }

  String user() {
    return user;
  }

  String token() {
    return token;
  }

  void assignTo(String user, Instant at) {
    this.user = user;
    this.registeredAt = at;
  }

  void replaceToken(String token) {
    this.token = token;
  }
}
