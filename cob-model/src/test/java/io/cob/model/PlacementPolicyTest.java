package io.cob.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cob.model.PlacementPolicy.Attribute;
import io.cob.model.PlacementPolicy.Operator;
import io.cob.model.PlacementPolicy.Preference;
import io.cob.model.PlacementPolicy.Requirement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlacementPolicyTest {

  @Test
  void shouldReadRequirementsAndPreference() {
    PlacementPolicy p =
        PlacementPolicy.parse(
            " jurisdiction = EU ; availability>=99.9;costPerStep<0.01; prefer=cheapest;");

    assertThat(p.requirements())
        .containsExactly(
            new Requirement(Attribute.JURISDICTION, Operator.EQUAL, "eu"),
            new Requirement(Attribute.AVAILABILITY, Operator.AT_LEAST, "99.9"),
            new Requirement(Attribute.COST_PER_STEP, Operator.BELOW, "0.01"));
    assertThat(p.preference()).isEqualTo(Preference.CHEAPEST);
    assertThat(p.toString())
        .isEqualTo("jurisdiction=eu; availability>=99.9; costPerStep<0.01; prefer=cheapest");
    assertThat(PlacementPolicy.parse(p.toString())).isEqualTo(p);
  }

  @Test
  void shouldReadEveryOperatorAndAPolicyWithoutPreference() {
    PlacementPolicy p =
        PlacementPolicy.parse(
            "provider!=aws; region=eu-west-1; name!=public-b; availability>99; costPerStep<=1e-3;"
                + " availability<100; costPerStep=0.002");

    assertThat(p.requirements())
        .extracting(Requirement::toString)
        .containsExactly(
            "provider!=aws",
            "region=eu-west-1",
            "name!=public-b",
            "availability>99",
            "costPerStep<=0.001",
            "availability<100",
            "costPerStep=0.002");
    assertThat(p.preference()).isNull();
  }

  @Test
  void shouldReadAPreferenceAlone() {
    assertThat(PlacementPolicy.parse("prefer=most-available"))
        .isEqualTo(new PlacementPolicy(List.of(), Preference.MOST_AVAILABLE));
    assertThat(PlacementPolicy.parse("prefer=Nearest").preference()).isEqualTo(Preference.NEAREST);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "prefer=fastest | unknown preference 'fastest' (use cheapest, most-available or nearest)",
        "jursdiction=eu | unknown attribute 'jursdiction' (use name, provider, region,"
            + " jurisdiction, availability or costPerStep)",
        "availability>=high | availability needs a number, not 'high'",
        "jurisdiction>=eu | jurisdiction takes = or !=, not >= (it is not a number)",
        "prefer=cheapest; prefer=nearest | prefer is given more than once",
        "prefer>cheapest | prefer takes '=', not '>' (e.g. prefer=cheapest)",
        "jurisdiction= | 'jurisdiction=' has no value",
        "cheapest | 'cheapest' is not a requirement (attribute=value, attribute>=number ...) nor"
            + " prefer=...",
        "=eu | '=eu' is not a requirement (attribute=value, attribute>=number ...) nor prefer=...",
        "region!eu | 'region!eu' has no comparison (use =, !=, >=, <=, > or <)",
        " ; ; | is empty; write requirements such as jurisdiction=eu and a preference such as"
            + " prefer=cheapest",
      })
  void shouldExplainWhatIsWrong(String text, String message) {
    assertThatThrownBy(() -> PlacementPolicy.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
