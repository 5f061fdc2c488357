package io.uplink.it.app;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One row per upstream message an observer committed; the tests count them. */
@Entity
@Table(name = "it_delivered")
public class DeliveredRecord {

  @Id @GeneratedValue private Long id;

  @Column(name = "sender_id")
  private String senderId;

  @Column(name = "device", length = 1024)
  private String device;

  @Column(name = "message_id")
  private String messageId;

  @Column(name = "category")
  private String category;

  protected DeliveredRecord() {}

  DeliveredRecord(String senderId, String device, String messageId, String category) {
    this.senderId = senderId;
    this.device = device;
    this.messageId = messageId;
    this.category = category;
  }

  public String getSenderId() {
    return senderId;
  }

  public String getDevice() {
    return device;
  }

  public String getMessageId() {
    return messageId;
  }

  public String getCategory() {
    return category;
  }
}
