package dev.jrun.model;

import java.util.Optional;

/**
 * The Linux security module labels a container's command is executed with: an AppArmor profile
 * (OCI {@code process.apparmorProfile}) and an SELinux process label ({@code process.selinuxLabel}).
 * Each is applied, as runc does, only on a host where its module is enabled, and left out on
 * the others, so the same configuration runs on both.
 *
 * @param appArmorProfile the AppArmor profile the command changes to on {@code execve}
 * @param selinuxLabel    the SELinux label the command gets on {@code execve}
 */
public record SecurityLabels(Optional<String> appArmorProfile, Optional<String> selinuxLabel) {

    private static final SecurityLabels NONE = new SecurityLabels(Optional.empty(), Optional.empty());

    /**
     * @throws IllegalArgumentException if a label is empty or contains a NUL byte or a newline,
     *                                  which the kernel's attribute files would cut or refuse
     */
    public SecurityLabels {
        appArmorProfile.ifPresent(profile -> check("AppArmor profile", profile));
        selinuxLabel.ifPresent(label -> check("SELinux label", label));
    }

    /** {@return no labels: the command keeps the launcher's} */
    public static SecurityLabels none() {
        return NONE;
    }

    /** {@return these labels with the AppArmor profile {@code profile}} */
    public SecurityLabels withAppArmorProfile(String profile) {
        return new SecurityLabels(Optional.of(profile), selinuxLabel);
    }

    /** {@return these labels with the SELinux label {@code label}} */
    public SecurityLabels withSelinuxLabel(String label) {
        return new SecurityLabels(appArmorProfile, Optional.of(label));
    }

    private static void check(String what, String value) {
        if (value.isEmpty() || value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException(what + " \"" + value.replace("\0", "\\0").replace("\n", "\\n")
                    + "\" must be a non-empty line without a NUL byte");
        }
    }
}
