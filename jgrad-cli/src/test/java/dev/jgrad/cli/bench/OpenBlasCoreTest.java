package dev.jgrad.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which OpenBLAS kernel the bench asks for when OpenBLAS fell back to Prescott, by CPU flags. */
class OpenBlasCoreTest {
    @Test
    void theKernelFamilyFollowsTheInstructionSet() {
        // Emerald Rapids (this machine's kind): AVX-512 with bfloat16
        assertThat(Bench.coreFor(Set.of("avx2", "fma", "avx512f", "avx512_bf16"))).isEqualTo("Cooperlake");
        assertThat(Bench.coreFor(Set.of("avx2", "fma", "avx512f"))).isEqualTo("SkylakeX");
        assertThat(Bench.coreFor(Set.of("avx2", "fma"))).isEqualTo("Haswell");
        assertThat(Bench.coreFor(Set.of("sse4_2"))).isNull();
    }
}
