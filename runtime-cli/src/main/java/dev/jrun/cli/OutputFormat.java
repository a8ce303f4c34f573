package dev.jrun.cli;

/** How {@code list} and {@code ps} print: a table for people, JSON for programs. */
enum OutputFormat { table, json }
