package dev.grad4j.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.grad4j.data.Split;
import dev.grad4j.train.FitResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's iris recipe reaches the validation accuracy PyTorch's twin of the recipe reaches on
 * the same split ({@code tools/golden/iris_torch.py}, ten initial seeds, committed as a fixture).
 */
class IrisTest {

    static final Path SPLIT = Path.of("samples/src/test/resources/golden/iris_split.json");
    static final Path TORCH = Path.of("samples/src/test/resources/golden/iris_torch.json");

    /** Writes the split the recipe uses (seed 0), for the PyTorch script. */
    public static void main(String[] args) throws IOException {
        Split s = Iris.data("ejml", 0);
        Map<String, int[]> out = new LinkedHashMap<>();
        out.put("train", s.rowsOf(0));
        out.put("validation", s.rowsOf(1));
        Files.writeString(SPLIT, new ObjectMapper().writeValueAsString(out));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ejml", "nd4j", "simd"})
    void theRecipeReachesPyTorchsValidationAccuracyOnTheSameSplit(String backend) throws IOException {
        JsonNode split = new ObjectMapper().readTree(SPLIT.toFile());
        Split s = Iris.data(backend, 0);
        int[] rows = s.rowsOf(1);
        Arrays.sort(rows);
        assertArrayEquals(ints(split.get("validation")), rows, "the fixture was made on the recipe's split");
        JsonNode torch = new ObjectMapper().readTree(TORCH.toFile());
        double median = torch.get("median").asDouble();
        double oneRow = 1.0 / torch.get("validationRows").asInt();
        FitResult r = Iris.train(backend, 0);
        double acc = r.best().valAccuracy();
        assertTrue(acc >= median - oneRow - 1e-9, backend + ": grad4j reaches " + acc + " at its best epoch, PyTorch's "
                + "median over ten seeds is " + median + " " + torch.get("bestEpochValidationAccuracy"));
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).asInt();
        }
        Arrays.sort(out);
        return out;
    }
}
