package dev.jrun.image;

import dev.jrun.ImageStore;
import dev.jrun.testing.JvmWithout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * zstd-jni is an optional dependency of runtime-core: a JVM whose class path lacks it still
 * imports gzipped layers, and a zstd layer is refused saying what it needs.
 */
class WithoutZstdTest {

    @TempDir
    Path directory;

    @Test
    void aZstdLayerNeedsZstdJniAndSaysSoWhileGzipNeedsNothing() throws Exception {
        Path gzip = directory.resolve("gzip");
        Path zstd = directory.resolve("zstd");
        TestImages.ociLayout(gzip, "example.org/gzip:1", TestImages.process(List.of("sh")),
                List.of(new TestLayer().file("a", "gzip").tarGz()));
        TestImages.ociLayout(zstd, "example.org/zstd:1", TestImages.process(List.of("sh")),
                List.of(new TestLayer().file("a", "zstd").tarZst()));
        JvmWithout.Result run = JvmWithout.run("zstd-jni", ImportWithoutZstd.class,
                directory.resolve("store").toString(), gzip.toString(), zstd.toString());

        assertThat(run.output()).startsWith("no zstd-jni on the class path\nimported example.org/gzip:1\n")
                .contains("is zstd-compressed: reading it needs com.github.luben:zstd-jni, which could not be"
                        + " loaded (java.lang.NoClassDefFoundError");
        assertThat(run.exitCode()).isZero();
    }

    /** Runs in the JVM without zstd-jni. */
    public static final class ImportWithoutZstd {

        private ImportWithoutZstd() {
        }

        /**
         * Proves zstd-jni is absent, then imports the gzip layout and the zstd one.
         *
         * @param args the store, the gzip layout, the zstd layout
         * @throws Exception when the gzip import fails, which fails the test
         */
        public static void main(String[] args) throws Exception {
            try {
                Class.forName("com.github.luben.zstd.ZstdInputStream");
                System.out.println("zstd-jni is on the class path");
            } catch (ClassNotFoundException expected) {
                System.out.println("no zstd-jni on the class path");
            }
            ImageStore store = ImageStore.at(Path.of(args[0]));
            System.out.println("imported " + store.importImage(Path.of(args[1]), Optional.empty()).reference());
            try {
                store.importImage(Path.of(args[2]), Optional.empty());
                System.out.println("imported the zstd image");
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
