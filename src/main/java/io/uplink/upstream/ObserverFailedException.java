package io.uplink.upstream;

/**
 * Thrown inside the delivery transaction when an application observer throws, so that the
 * transaction rolls back and the failure is told apart from infrastructure errors (a failed
 * database), which must not count towards dead-lettering.
 */
final class ObserverFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  ObserverFailedException(RuntimeException cause) {
    super("an observer of the upstream message failed: " + cause, cause);
  }
}
