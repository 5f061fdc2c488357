package io.uplink.it.app;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A row with a unique key, which the recording observer persists twice without a flush: the
 * observer itself returns normally and the delivery fails only when its transaction commits.
 */
@Entity
@Table(name = "it_commit_conflict")
public class CommitConflictRecord {

  @Id @GeneratedValue private Long id;

  @Column(name = "conflict_key", unique = true)
  private String key;

  protected CommitConflictRecord() {}

  CommitConflictRecord(String key) {
    this.key = key;
  }
}
