package io.cob.model.parse;

import net.jqwik.api.PropertyDefaults;

/** The BPMN parser fuzzing of {@code mvn verify}: 3 x 33,334, just over 100,000 inputs. */
@PropertyDefaults(tries = 33_334)
class BpmnParserFuzzIT extends BpmnParserFuzzing {}
