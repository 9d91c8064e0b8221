/**
 * Stable storage for a Raft node: the log and the hard state (term, votedFor), in memory or in
 * files (DESIGN.md "Storage"). A {@link io.raftkv.storage.LogStore} returns from {@link
 * io.raftkv.storage.LogStore#persist} only once what it was given is as durable as its {@link
 * io.raftkv.storage.Durability} promises, so the caller may then send the messages of the {@code
 * Ready} that depend on it.
 */
package io.raftkv.storage;
