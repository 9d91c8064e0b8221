package io.raftkv.client;

import io.raftkv.kv.Bytes;
import java.util.Optional;

/**
 * The answer to {@link RaftClient#cas}.
 *
 * @param swapped whether the value was replaced
 * @param current the value after the operation: the new value if swapped, otherwise the value that
 *     did not match; empty when the key is absent
 */
public record CasOutcome(boolean swapped, Optional<Bytes> current) {}
