package io.raftkv.fastpath;

import io.raftkv.kv.Bytes;
import io.raftkv.kv.KvCodec;
import io.raftkv.kv.KvRequest;
import io.raftkv.kv.MalformedCommandException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One entry of a durabilityLog (Skyros §4.2): a nilext update as the client sent it to every
 * replica, tagged with the term in which this replica accepted it.
 *
 * <p>Invariants: {@link #command()} is the {@link KvCodec} encoding of a {@link KvRequest} whose
 * command is nilext (put, delete, multiPut); {@link #id()} and {@link #keys()} are derived from it,
 * so they always agree with the bytes that will be proposed into the Raft log. The identity of the
 * update is {@link #id()}; two entries with one id but different terms are the same update accepted
 * in two terms (a client retry). Immutable: the bytes are copied in and out.
 */
public final class NilextEntry {
  private final long term;
  private final NilextId id;
  private final byte[] command;
  private final List<Bytes> keys;

  private NilextEntry(long term, NilextId id, byte[] command, List<Bytes> keys) {
    if (term < 1) {
      throw new IllegalArgumentException("term starts at 1: " + term);
    }
    this.term = term;
    this.id = id;
    this.command = command;
    this.keys = keys;
  }

  /**
   * The entry for {@code request} tagged with {@code term}.
   *
   * @throws IllegalArgumentException if the command is not nilext (cas and reads are ordered)
   */
  public static NilextEntry of(long term, KvRequest request) {
    if (!request.command().nilext()) {
      throw new IllegalArgumentException("not a nilext update: " + request.command());
    }
    return new NilextEntry(
        term,
        new NilextId(request.clientId(), request.seq()),
        KvCodec.encode(request),
        request.command().keys());
  }

  /**
   * The entry for {@code request} as it arrived: {@code received} holds the bytes the request was
   * decoded from, and becomes the entry's command as it is, without encoding the request again (a
   * replica takes every fast-path update, so this is once per update on every replica). The caller
   * hands the array over and never changes it afterwards.
   *
   * @throws IllegalArgumentException if the command is not nilext
   */
  public static NilextEntry ofReceived(long term, KvRequest request, byte[] received) {
    if (!request.command().nilext()) {
      throw new IllegalArgumentException("not a nilext update: " + request.command());
    }
    return new NilextEntry(
        term, new NilextId(request.clientId(), request.seq()), received, request.command().keys());
  }

  /**
   * Decodes {@code command} (a {@link KvCodec}-encoded request, as received or as stored).
   *
   * @throws MalformedCommandException if the bytes are not a request
   * @throws IllegalArgumentException if the request is not a nilext update
   */
  public static NilextEntry decode(long term, byte[] command) {
    KvRequest request = KvCodec.decode(command);
    if (!request.command().nilext()) {
      throw new IllegalArgumentException("not a nilext update: " + request.command());
    }
    return new NilextEntry(
        term,
        new NilextId(request.clientId(), request.seq()),
        command.clone(),
        request.command().keys());
  }

  /** The same update accepted again in {@code newTerm} (a retry tagged with a later term). */
  public NilextEntry withTerm(long newTerm) {
    return newTerm == term ? this : new NilextEntry(newTerm, id, command, keys);
  }

  /** The term the client tagged and the replica accepted the entry in. */
  public long term() {
    return term;
  }

  public NilextId id() {
    return id;
  }

  public long clientId() {
    return id.clientId();
  }

  public long seq() {
    return id.seq();
  }

  /** A copy of the encoded request: the data of the Raft log entry that will order it. */
  public byte[] command() {
    return command.clone();
  }

  /** Size of the encoded request in bytes. */
  public int commandSize() {
    return command.length;
  }

  /** The keys the update writes, in command order. */
  public List<Bytes> keys() {
    return keys;
  }

  /** The request itself, decoded again. */
  public KvRequest request() {
    return KvCodec.decode(command);
  }

  /** Compares the encoded commands, unsigned lexicographic; a deterministic tie-break. */
  int compareCommand(NilextEntry other) {
    return Arrays.compareUnsigned(command, other.command);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NilextEntry e
        && term == e.term
        && id.equals(e.id)
        && Arrays.equals(command, e.command);
  }

  @Override
  public int hashCode() {
    return Objects.hash(term, id, Arrays.hashCode(command));
  }

  @Override
  public String toString() {
    return "NilextEntry{term=" + term + ", " + id + ", keys=" + keys + "}";
  }
}
