package dev.jrun.internal.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Linux security modules enabled on the host, which decide whether a container's
 * {@link dev.jrun.model.SecurityLabels} are applied or left out (as runc does).
 *
 * @param appArmor whether AppArmor is enabled
 * @param selinux  whether SELinux is enabled
 */
public record SecurityModules(boolean appArmor, boolean selinux) {

    /** A host with neither module. */
    public static final SecurityModules NONE = new SecurityModules(false, false);

    private static final Path APPARMOR_ENABLED = Path.of("/sys/module/apparmor/parameters/enabled");
    /** selinuxfs is mounted here when SELinux is enabled, as libselinux looks for it. */
    private static final Path SELINUXFS = Path.of("/sys/fs/selinux/enforce");

    /** {@return the modules this host has enabled} */
    static SecurityModules probe() {
        return new SecurityModules(appArmorEnabled(), Files.exists(SELINUXFS));
    }

    private static boolean appArmorEnabled() {
        try {
            return Files.readString(APPARMOR_ENABLED).strip().equals("Y");
        } catch (IOException e) {
            return false;
        }
    }
}
