package dev.jrun.junit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the kernel's TCP socket table: only sockets in state LISTEN count. */
class ListeningPortsTest {

    @Test
    void listeningSocketsAreFoundByTheirLocalPort() {
        String table = """
                  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1
                   1: 0100007F:0016 0100007F:D2A4 01 00000000:00000000 00:00000000 00000000     0        0 2 1
                   2: 0100007F:01BB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3 1
                """;
        String table6 = """
                  sl  local_address                         remote_address                        st
                   0: 00000000000000000000000000000000:1388 00000000000000000000000000000000:0000 0A
                """;

        assertThat(ListeningPorts.parse(table)).containsExactlyInAnyOrder(8080, 443);
        assertThat(ListeningPorts.parse(table6)).containsExactly(5000);
        assertThat(ListeningPorts.parse("")).isEmpty();
    }
}
