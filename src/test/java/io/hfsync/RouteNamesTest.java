package io.hfsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hfsync.store.DataFiles;
import io.hfsync.hub.HubCallProperties;
import io.hfsync.sync.RunProperties;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One place per fact: the exchange properties and data files the YAML routes name are the ones {@link RunProperties}
 * (with {@link HubCallProperties}) and {@link DataFiles} declare, so a rename in Java that the routes miss (or the other way round) fails here.
 */
class RouteNamesTest {

    private static final Pattern PROPERTY_USE = Pattern.compile("exchangeProperty\\.([A-Za-z]+)");
    private static final Pattern PROPERTY_SET = Pattern.compile("- (?:setProperty|removeProperty):\\s*\\n\\s*name: ([A-Za-z]+)");
    private static final Pattern FILE_NAME = Pattern.compile("[?&](?:fileName|tempFileName)=([^&\"]+)");

    @Test
    void should_declare_every_exchange_property_the_routes_name() throws IOException {
        Set<String> declared = new TreeSet<>(constants(RunProperties.class));
        declared.addAll(constants(HubCallProperties.class));
        Set<String> named = new TreeSet<>();
        for (String route : routes()) {
            collect(PROPERTY_USE.matcher(route), named);
            collect(PROPERTY_SET.matcher(route), named);
        }
        assertTrue(named.contains(RunProperties.SYNC_RUN), "the scan found the routes' properties: " + named);
        assertEquals(Set.of(), difference(named, declared), "exchange properties the routes name but neither RunProperties nor HubCallProperties declares");
    }

    @Test
    void should_name_only_the_declared_data_files_in_the_routes() throws IOException {
        Set<String> declared = constants(DataFiles.class).stream()
                .flatMap(name -> Stream.of(name, DataFiles.temporary(name))).collect(Collectors.toSet());
        Set<String> named = new TreeSet<>();
        for (String route : routes()) {
            collect(FILE_NAME.matcher(route), named);
        }
        named.removeIf(name -> name.contains("${")); // a name the exchange supplies (the change log's)
        assertTrue(named.contains(DataFiles.CATALOG), "the scan found the routes' files: " + named);
        assertEquals(Set.of(), difference(named, declared), "files the routes name but DataFiles does not declare");
    }

    private static Set<String> difference(Set<String> named, Set<String> declared) {
        Set<String> missing = new TreeSet<>(named);
        missing.removeAll(declared);
        return missing;
    }

    private static void collect(Matcher m, Set<String> into) {
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static Set<String> constants(Class<?> type) {
        Set<String> values = new TreeSet<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                try {
                    values.add((String) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return values;
    }

    private static Set<String> routes() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).collect(Collectors.toSet());
        }
    }
}
