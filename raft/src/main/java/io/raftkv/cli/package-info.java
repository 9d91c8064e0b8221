/**
 * The command line for people: {@link io.raftkv.cli.ClientCommands} runs {@code put}, {@code get},
 * {@code delete}, {@code cas}, {@code leader} and {@code status} against a cluster with the Java
 * client, prints readable answers and returns an exit code.
 */
package io.raftkv.cli;
