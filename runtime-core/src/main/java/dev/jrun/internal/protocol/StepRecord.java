package dev.jrun.internal.protocol;

/**
 * The memory layout of one step as the stub reads it: eleven 64-bit words.
 *
 * <pre>
 *   +0   system call number
 *   +8   arguments 1..6, one word each
 *   +56  flags (byte): MAY_FAIL, JUMP_IF_POSITIVE, JUMP_IF_TOLERATED, AGAIN_ON_EAGAIN
 *   +57  indirect arguments (byte): bit i set = argument i+1 is the address of a word to load
 *   +64  address of the step to continue at (JUMP_IF_POSITIVE or JUMP_IF_TOLERATED)
 *   +72  the result, written by the stub
 *   +80  tolerated errnos: bit e set = failing with errno e does not end the launch
 * </pre>
 */
public final class StepRecord {

    public static final int NUMBER = 0;
    public static final int ARGS = 8;
    public static final int FLAGS = 56;
    public static final int INDIRECT = 57;
    public static final int JUMP = 64;
    public static final int RESULT = 72;
    public static final int TOLERATED = 80;
    public static final int SIZE = 88;

    public static final int MAY_FAIL = 1;
    public static final int JUMP_IF_POSITIVE = 2;
    public static final int JUMP_IF_TOLERATED = 4;
    public static final int AGAIN_ON_EAGAIN = 8;

    private StepRecord() {
    }
}
