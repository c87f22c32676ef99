package io.cob.store.jdbc;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.cob.engine.command.InstanceCommand;
import io.cob.engine.event.InstanceEvent;
import io.cob.engine.port.StoreException;
import io.cob.engine.state.InstanceSnapshot;
import java.util.List;
import java.util.Map;

/**
 * Turns the engine's records into JSON and back, so that every value comes back equal to what was
 * written:
 *
 * <ul>
 *   <li>whole numbers are read as {@code Long} and fractions as {@code BigDecimal} (keeping their
 *       scale); a {@code BigDecimal} is written plainly ({@code 1000.5}, not {@code 1.0005E+3}). So
 *       {@code Integer} or {@code Double} values in untyped variables come back as {@code Long} or
 *       {@code BigDecimal}, and a {@code BigDecimal} without fraction as {@code Long}: JSON has no
 *       way to tell them apart;
 *   <li>instants and durations are ISO-8601 strings, to the nanosecond;
 *   <li>{@link InstanceEvent} and {@link InstanceCommand} carry their record's simple name in an
 *       {@code "@type"} property. The subtypes are found from the sealed interfaces' permitted
 *       subclasses, so a new event or command type needs no change here, and no Jackson annotation
 *       enters the engine module (the type information is added with a mix-in).
 * </ul>
 *
 * <p>Immutable and thread-safe; one instance serves a whole store.
 */
public final class JsonCodec {
  private static final TypeReference<Map<String, Object>> VARIABLES = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {};

  /** Adds polymorphic type information to the sealed interfaces it is mixed into. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "@type")
  private interface Polymorphic {}

  private final ObjectMapper mapper;
  private final ObjectWriter eventWriter;
  private final ObjectReader eventReader;
  private final ObjectWriter commandWriter;
  private final ObjectReader commandReader;

  public JsonCodec() {
    // Snapshots can hold big strings; Jackson's default cap (20 MB per string) is not ours to set.
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();
    JsonMapper.Builder builder =
        JsonMapper.builder(factory)
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .addMixIn(InstanceEvent.class, Polymorphic.class)
            .addMixIn(InstanceCommand.class, Polymorphic.class);
    for (Class<?> type : InstanceEvent.class.getPermittedSubclasses()) {
      builder.registerSubtypes(new NamedType(type, type.getSimpleName()));
    }
    for (Class<?> type : InstanceCommand.class.getPermittedSubclasses()) {
      builder.registerSubtypes(new NamedType(type, type.getSimpleName()));
    }
    mapper = builder.build();
    eventWriter = mapper.writerFor(InstanceEvent.class);
    eventReader = mapper.readerFor(InstanceEvent.class);
    commandWriter = mapper.writerFor(InstanceCommand.class);
    commandReader = mapper.readerFor(InstanceCommand.class);
  }

  /** Any value the engine stores (snapshot, variables, headers) as JSON; {@code null} as null. */
  public String write(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot write " + value.getClass().getName() + " as JSON", e);
    }
  }

  /** An event with its {@code "@type"}. */
  public String writeEvent(InstanceEvent event) {
    if (event == null) {
      return null;
    }
    try {
      return eventWriter.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot write event " + event.getClass().getSimpleName(), e);
    }
  }

  public InstanceEvent readEvent(String json) {
    if (json == null) {
      return null;
    }
    try {
      return eventReader.readValue(json);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot read stored event: " + e.getOriginalMessage(), e);
    }
  }

  /** A command with its {@code "@type"}. */
  public String writeCommand(InstanceCommand command) {
    if (command == null) {
      return null;
    }
    try {
      return commandWriter.writeValueAsString(command);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot write command " + command.getClass().getSimpleName(), e);
    }
  }

  public InstanceCommand readCommand(String json) {
    if (json == null) {
      return null;
    }
    try {
      return commandReader.readValue(json);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot read stored command: " + e.getOriginalMessage(), e);
    }
  }

  public InstanceSnapshot readSnapshot(String json) {
    return read(json, InstanceSnapshot.class, "snapshot");
  }

  /** Variables: values are Long, BigDecimal, String, Boolean, null, maps and lists of those. */
  public Map<String, Object> readVariables(String json) {
    if (json == null) {
      return null;
    }
    try {
      return mapper.readValue(json, VARIABLES);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot read stored variables: " + e.getOriginalMessage(), e);
    }
  }

  /** A JSON array of strings; {@code null} reads as an empty list. */
  public List<String> readStringList(String json) {
    if (json == null) {
      return List.of();
    }
    try {
      return mapper.readValue(json, STRING_LIST);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot read stored list: " + e.getOriginalMessage(), e);
    }
  }

  public Map<String, String> readStrings(String json) {
    if (json == null) {
      return null;
    }
    try {
      return mapper.readValue(json, STRINGS);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot read stored map: " + e.getOriginalMessage(), e);
    }
  }

  private <T> T read(String json, Class<T> type, String what) {
    if (json == null) {
      return null;
    }
    try {
      return mapper.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new StoreException("cannot read stored " + what + ": " + e.getOriginalMessage(), e);
    }
  }
}
