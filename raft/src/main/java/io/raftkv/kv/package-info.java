/**
 * The replicated key-value state machine: commands, their binary encoding, and exactly-once client
 * sessions (Raft thesis 6.3). Everything here is deterministic: no clocks, no threads, no
 * randomness, so every replica that applies the same log ends in the same state.
 */
package io.raftkv.kv;
