package io.uplink.transactions;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs code when the caller's JTA transaction has ended, so that the gateway acts only on what
 * committed: a downstream message accepted inside an observer's transaction is queued only once
 * that transaction commits, and asynchronous observers hear of a delivery only once it committed.
 * Uses an interposed synchronization, which runs after the resources committed or rolled back.
 * Stateless.
 */
public final class TransactionEnd {

  private TransactionEnd() {}

  /**
   * Registers the code with the caller's transaction, which must be active.
   *
   * @param committed runs after a commit
   * @param rolledBack runs after a rollback, or any other end
   */
  public static void register(
      TransactionSynchronizationRegistry transactions, Runnable committed, Runnable rolledBack) {
    transactions.registerInterposedSynchronization(
        new Synchronization() {
          @Override
          public void beforeCompletion() {}

          @Override
          public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
              committed.run();
            } else {
              rolledBack.run();
            }
          }
        });
  }
}
