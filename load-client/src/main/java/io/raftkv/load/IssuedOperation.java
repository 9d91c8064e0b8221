package io.raftkv.load;

import io.raftkv.kv.Bytes;
import java.util.List;

/**
 * One operation as a virtual client issued it: what it asked for and when it was called.
 *
 * @param client the virtual client's index (one operation outstanding per client)
 * @param keys one key, or the distinct keys of a multiPut
 * @param values put and multiPut: the values written, one per key; cas: the new value; get: empty
 * @param expected cas: the value compared with; otherwise null
 * @param callNanos {@code System.nanoTime()} when the client called it (before any emulated delay)
 */
public record IssuedOperation(
    int client, Op op, List<Bytes> keys, List<Bytes> values, Bytes expected, long callNanos) {

  /** The same operation attributed to another client number (to keep ids unique over runs). */
  public IssuedOperation withClient(int otherClient) {
    return new IssuedOperation(otherClient, op, keys, values, expected, callNanos);
  }
}
