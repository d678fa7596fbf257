package dev.grad4j.nn.io;

import dev.grad4j.api.Backend;
import dev.grad4j.api.io.Npz;
import dev.grad4j.api.io.SafeTensors;
import dev.grad4j.autograd.Backends;
import dev.grad4j.nn.Linear;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * What {@link ChildJvm} runs: {@code load FILE} loads FILE into a 20-parameter model
 * ({@code Linear(4, 4)}), {@code read FILE} reads it with {@code Npz.read} or {@code SafeTensors.read}
 * (by its name), {@code save FILE} saves such a model. Prints {@code OK}, or {@code REFUSED} and the
 * message; then {@code UNCHANGED true|false} (the model's weights after a load) and
 * {@code PEAK_HEAP_MB} (the heap's peak use).
 */
public final class ChildMain {

    private ChildMain() {
    }

    public static void main(String[] args) throws Exception {
        Backend b = Backends.ejml();
        Linear model = Linear.builder(4, 4).backend(b).seed(1).build();
        float[] before = model.weight().data().toFloatArray();
        Path file = Path.of(args[1]);
        try {
            switch (args[0]) {
                case "load" -> model.load(file);
                case "read" -> {
                    if (file.toString().endsWith(".safetensors")) {
                        SafeTensors.read(file, b);
                    } else {
                        Npz.read(file, b);
                    }
                }
                case "save" -> model.save(file);
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.println("OK");
        } catch (Exception e) {
            System.out.println("REFUSED " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        System.out.println("UNCHANGED " + Arrays.equals(before, model.weight().data().toFloatArray()));
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("PEAK_HEAP_MB " + peak / (1024 * 1024));
    }
}
