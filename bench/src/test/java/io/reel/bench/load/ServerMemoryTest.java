package io.reel.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The heap as {@code jcmd GC.heap_info} prints it, for each collector's layout (JDK 25's output). */
class ServerMemoryTest {
    @Test
    void g1_printsOneHeapLine() {
        String info = """
                 garbage-first heap   total 221184K, used 61044K [0x0000000680000000, 0x0000000800000000)
                  region size 1024K, 2 young (2048K), 0 survivors (0K)
                 Metaspace       used 57321K, committed 58048K, reserved 1114112K
                  class space    used 7201K, committed 7552K, reserved 1048576K
                """;
        assertThat(ServerMemory.heapSums(info)).containsExactly(221184, 61044);
    }

    @Test
    void parallel_andSerial_printAGenerationEach_summed() {
        String parallel = """
                 PSYoungGen      total 76288K, used 1310K [0x00000007d5580000, 0x00000007e0000000, 0x0000000800000000)
                  eden space 65536K, 2% used [0x00000007d5580000,0x00000007d56c7a38,0x00000007d9580000)
                 ParOldGen       total 175104K, used 59012K [0x0000000680000000, 0x000000068ab00000, 0x00000007d5580000)
                 Metaspace       used 57321K, committed 58048K, reserved 1114112K
                """;
        assertThat(ServerMemory.heapSums(parallel)).containsExactly(76288 + 175104, 1310 + 59012);
        String serial = """
                 def new generation   total 39296K, used 2114K [0x0000000680000000, 0x0000000682aa0000, 0x00000006d5550000)
                 tenured generation   total 87424K, used 58000K [0x00000006d5550000, 0x00000006daab0000, 0x0000000800000000)
                """;
        assertThat(ServerMemory.heapSums(serial)).containsExactly(39296 + 87424, 2114 + 58000);
        assertThat(ServerMemory.heapSums("jcmd said nothing useful")).containsExactly(-1, -1);
    }
}
