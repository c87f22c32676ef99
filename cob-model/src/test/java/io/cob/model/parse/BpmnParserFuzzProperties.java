package io.cob.model.parse;

import net.jqwik.api.PropertyDefaults;

/** The BPMN parser fuzzing of the quick build: 3 x 2,000 inputs. */
@PropertyDefaults(tries = 2_000)
class BpmnParserFuzzProperties extends BpmnParserFuzzing {}
