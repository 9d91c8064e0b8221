/**
 * The pure building blocks of the nil-externality fast path (Skyros, Ganesan et al., SOSP 2021):
 * nilext entries, the per-replica durabilityLog, supermajority arithmetic, the client-side
 * acknowledgment tracker and the new leader's recovery merge. Like {@code io.raftkv.core}, nothing
 * here starts threads, reads a clock or does I/O; the persisted copy of a durabilityLog lives in
 * {@link io.raftkv.storage.DurabilityLogStore}.
 */
package io.raftkv.fastpath;
