/**
 * jextract's output as a named module. It lives here, not in bindings/,
 * which holds nothing but generated files.
 */
module jrun.bindings {
    exports dev.jrun.bindings;
}
