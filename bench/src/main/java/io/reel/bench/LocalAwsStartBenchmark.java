package io.reel.bench;

import io.reel.localaws.LocalAws;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long {@code LocalAws.builder().start()} takes until both emulators have answered a first request: cold (the first start in a fresh
 * JVM, what a test run or {@code ./run.sh} pays once) and warm (a later start in the same JVM).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LocalAwsStartBenchmark {

    @Benchmark
    @Fork(value = 5, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public long coldStartInMemory() {
        return startAndStop();
    }

    /** The same, with the C1-only JIT that ./run.sh uses (C2 compiling competes for the 2 cores during start). */
    @Benchmark
    @Fork(value = 5, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1"})
    @Warmup(iterations = 0)
    @Measurement(iterations = 1)
    public long coldStartInMemoryC1() {
        return startAndStop();
    }

    @Benchmark
    @Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
    @Warmup(iterations = 3)
    @Measurement(iterations = 5)
    public long warmStartInMemory() {
        return startAndStop();
    }

    private static long startAndStop() {
        try (LocalAws aws = LocalAws.builder().start()) {
            return aws.startTime().toMillis();
        }
    }
}
