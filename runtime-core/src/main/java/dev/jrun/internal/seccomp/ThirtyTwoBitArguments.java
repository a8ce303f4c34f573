package dev.jrun.internal.seccomp;

import dev.jrun.model.SeccompProfile.Condition;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Argument conditions for an ABI whose calls see only the low 32 bits of each
 * argument (i386). The high half of {@code seccomp_data.args} is not what the
 * call sees and need not be zero (the kernel copies whole registers, which a
 * 64-bit process making an {@code int 0x80} call chooses), so the filter never
 * reads it: a condition is decided for the argument as the call sees it,
 * zero-extended, and what that leaves is a comparison of the low halves.
 */
final class ThirtyTwoBitArguments {

    private static final long LARGEST = 0xFFFF_FFFFL;

    private ThirtyTwoBitArguments() {
    }

    /**
     * {@return the conditions that still need a look at the low halves, or empty when one of them can
     * never hold for a 32-bit argument}
     */
    static Optional<List<Condition>> narrow(List<Condition> conditions) {
        List<Condition> left = new ArrayList<>();
        for (Condition condition : conditions) {
            switch (outcome(condition)) {
                case NEVER -> {
                    return Optional.empty();
                }
                case ALWAYS -> {
                    // holds for every 32-bit argument: nothing to compare
                }
                case COMPARE -> left.add(condition);
            }
        }
        return Optional.of(List.copyOf(left));
    }

    private enum Outcome { NEVER, ALWAYS, COMPARE }

    private static Outcome outcome(Condition condition) {
        boolean above = Long.compareUnsigned(condition.value(), LARGEST) > 0;
        boolean atLeastLargest = Long.compareUnsigned(condition.value(), LARGEST) >= 0;
        return switch (condition.op()) {
            case EQUAL, GREATER_OR_EQUAL -> above ? Outcome.NEVER : Outcome.COMPARE;
            case GREATER_THAN -> atLeastLargest ? Outcome.NEVER : Outcome.COMPARE;
            case NOT_EQUAL, LESS_THAN -> above ? Outcome.ALWAYS : Outcome.COMPARE;
            case LESS_OR_EQUAL -> atLeastLargest ? Outcome.ALWAYS : Outcome.COMPARE;
            // (argument & mask) has no high bits, so it never equals a value that has some.
            case MASKED_EQUAL -> Long.compareUnsigned(condition.valueTwo(), LARGEST) > 0 ? Outcome.NEVER : Outcome.COMPARE;
        };
    }
}
