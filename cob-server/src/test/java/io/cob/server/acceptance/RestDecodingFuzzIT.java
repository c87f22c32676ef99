package io.cob.server.acceptance;

import net.jqwik.api.PropertyDefaults;

/** The REST decoding fuzzing of {@code mvn verify}: 4 x 25,000, 100,000 requests. */
@PropertyDefaults(tries = 25_000)
class RestDecodingFuzzIT extends RestDecodingFuzzing {}
