package io.uplink.it.app;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * While a row names a token, the test application's token-event observer fails for it. Kept in the
 * database, so that it outlives a restart of the gateway.
 */
@Entity
@Table(name = "it_event_failure")
public class EventFailureSwitch {

  @Id
  @Column(name = "token", length = 512)
  private String token;

  protected EventFailureSwitch() {}

  EventFailureSwitch(String token) {
    this.token = token;
  }
}
