package io.raftkv.load;

/**
 * Told of every operation a {@link LoadRunner} completes, warm-up included. Called on the client
 * pool's event loop threads (or the runner's timer thread), so it must be quick and must not block.
 */
@FunctionalInterface
public interface OperationObserver {
  /**
   * One operation completed.
   *
   * @param result null for put and multiPut, {@code Optional<Bytes>} for get, {@code CasOutcome}
   *     for cas; null when {@code error} is set
   * @param error why it failed, or null
   * @param returnNanos {@code System.nanoTime()} when its answer (or failure) arrived
   */
  void completed(IssuedOperation op, Object result, Throwable error, long returnNanos);
}
