/**
 * Linearizability checking of key-value histories: the history record ({@link
 * io.raftkv.history.Operation}), its JSON-lines file format ({@link io.raftkv.history.HistoryJson})
 * and a per-key Wing-Gong-Lowe checker ({@link io.raftkv.history.LinearizabilityChecker}).
 *
 * <p>Linearizability is local (Herlihy and Wing 1990): a history of a key-value store is
 * linearizable if and only if the sub-history of every key is, so each key is checked on its own.
 */
package io.raftkv.history;
