/** The pure Raft core: no threads, no I/O, no clock. */
package io.raftkv.core;
