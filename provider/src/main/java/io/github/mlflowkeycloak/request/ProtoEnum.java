package io.github.mlflowkeycloak.request;

import java.util.Map;
import java.util.Set;

/**
 * A protobuf enum of MLflow's request messages.
 *
 * @param closed  proto2's closed enums refuse a number they do not define; proto3's accept any int32
 * @param numbers each value's number, by name
 * @param defined the numbers the enum defines
 */
record ProtoEnum(String name, boolean closed, Map<String, Integer> numbers, Set<Integer> defined) {

    ProtoEnum(String name, boolean closed, Map<String, Integer> numbers) {
        this(name, closed, Map.copyOf(numbers), Set.copyOf(numbers.values()));
    }
}
