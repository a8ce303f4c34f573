package dev.jrun.cli;

/** Byte counts as docker prints them: decimal units, three significant digits ("4.19 MB"). */
final class HumanSize {

    private static final String[] UNITS = {"B", "kB", "MB", "GB", "TB"};

    private HumanSize() {
    }

    static String of(long bytes) {
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < UNITS.length - 1) {
            size /= 1000;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format("%.3g %s", size, UNITS[unit]);
    }
}
