package io.hfsync.mode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SignificantChangeTest {

    @Test
    void should_report_a_20_percent_growth_with_the_seed_message() {
        assertEquals(Optional.of("Significant change detected: 20.0% change in model count (100 → 120)"),
                SignificantChange.detect(100, 120, 0.1));
    }

    @Test
    void should_count_a_decrease_as_a_change() {
        assertEquals(Optional.of("Significant change detected: 20.0% change in model count (100 → 80)"),
                SignificantChange.detect(100, 80, 0.1));
    }

    @ParameterizedTest(name = "{0} -> {1} at {2}")
    @CsvSource({
            "100, 110, 0.1",   // exactly the threshold is not "more than"
            "100, 90, 0.1",
            "1000, 1100, 0.1",
            "10, 13, 0.3",
            "100, 100, 0.1",
            "0, 0, 0.1",
    })
    void should_not_report_a_change_up_to_the_threshold(int before, int after, double threshold) {
        assertEquals(Optional.empty(), SignificantChange.detect(before, after, threshold));
    }

    @ParameterizedTest(name = "{0} -> {1} at {2}")
    @CsvSource({
            "100, 111, 0.1",
            "1000, 1101, 0.1",
            "100, 0, 0.5",
            "3, 4, 0.3",
    })
    void should_report_a_change_just_above_the_threshold(int before, int after, double threshold) {
        assertTrue(SignificantChange.detect(before, after, threshold).isPresent());
    }

    @Test
    void should_round_the_percentage_to_one_decimal() {
        assertEquals(Optional.of("Significant change detected: 33.3% change in model count (3 → 4)"),
                SignificantChange.detect(3, 4, 0.1));
    }

    @Test
    void should_treat_any_growth_from_an_empty_catalog_as_significant() {
        assertEquals(Optional.of("Significant change detected: ∞% change in model count (0 → 5)"),
                SignificantChange.detect(0, 5, 1.0));
    }
}
