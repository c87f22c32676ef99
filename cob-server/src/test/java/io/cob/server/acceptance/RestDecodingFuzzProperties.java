package io.cob.server.acceptance;

import net.jqwik.api.PropertyDefaults;

/** The REST decoding fuzzing of the quick build: 4 x 1,000 requests. */
@PropertyDefaults(tries = 1_000)
class RestDecodingFuzzProperties extends RestDecodingFuzzing {}
