package io.hfsync;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import org.apache.camel.main.KameletMain;

/**
 * {@code camel run} for tests. Camel JBang's launcher (camel-jbang-main 4.18) is not served by this machine's Maven
 * mirror, so this class takes the same arguments docs/camel-platforms.md gives {@code camel run} ({@code --dep},
 * {@code --prop}, {@code --download}, {@code --port}, {@code --profile}, properties and route files) and hands them to the runtime
 * {@code camel run} uses,
 * {@link KameletMain}, the way Camel JBang's {@code Run} command does: route files become the initial
 * {@code camel.main.routesIncludePattern}; {@code application.properties} in the working directory (the default
 * profile) and the properties files named are the placeholder locations, {@code application.properties} last;
 * {@code --prop} values are argument properties; {@code --dep} values are {@code camel.jbang.dependencies}; the
 * name is the first route file's.
 */
public final class CamelRun {

    public static void main(String[] args) throws Exception {
        List<String> propertiesFiles = new ArrayList<>();
        List<String> routeFiles = new ArrayList<>();
        List<String> kamelets = new ArrayList<>();
        List<String[]> properties = new ArrayList<>();
        Set<String> dependencies = new LinkedHashSet<>();
        boolean download = true;
        String port = null;
        // camel run's default
        String profile = "dev";
        for (String arg : args) {
            if (arg.startsWith("--dep=") || arg.startsWith("--deps=")) {
                dependencies.addAll(List.of(arg.substring(arg.indexOf('=') + 1).split(",")));
            } else if (arg.startsWith("--prop=") || arg.startsWith("--property=")) {
                String kv = arg.substring(arg.indexOf('=') + 1);
                properties.add(new String[] {kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1)});
            } else if (arg.startsWith("--profile=")) {
                profile = arg.substring("--profile=".length());
            } else if (arg.startsWith("--port=")) {
                port = arg.substring("--port=".length());
            } else if (arg.startsWith("--download=")) {
                download = Boolean.parseBoolean(arg.substring("--download=".length()));
            } else if (arg.startsWith("--")) {
                throw new IllegalArgumentException("CamelRun does not know " + arg);
            } else if (arg.endsWith(".properties")) {
                propertiesFiles.add(arg);
            } else {
                if (!new File(arg).isFile()) {
                    System.err.println("File does not exist: " + arg);
                    System.exit(1);
                }
                routeFiles.add("file:" + arg);
                if (arg.endsWith(".kamelet.yaml")) {
                    kamelets.add("file:" + arg);
                }
            }
        }
        // the default profile: camel run loads application.properties from the working directory by itself
        if (new File("application.properties").isFile() && !propertiesFiles.contains("application.properties")) {
            propertiesFiles.add("application.properties");
        }

        KameletMain main = new KameletMain("camel.jbang");
        main.setProfile(profile);
        main.setDownload(download);
        main.setAppName("Apache Camel (JBang)");
        main.addInitialProperty("camel.main.sourceLocationEnabled", "true");
        main.addInitialProperty("camel.main.modeline", "true");
        properties.forEach(kv -> main.addArgumentProperty(kv[0], kv[1]));
        if (port != null) {
            // camel run --port: KameletMain starts its HTTP server (platform-http) on it
            main.addInitialProperty("camel.jbang.platform-http.port", port);
        }
        if (!routeFiles.isEmpty()) {
            main.addInitialProperty("camel.main.routesIncludePattern", String.join(",", routeFiles));
            String first = routeFiles.get(0);
            String name = Path.of(first.substring("file:".length())).getFileName().toString();
            main.addInitialProperty("camel.main.name", name.substring(0, name.indexOf('.')));
        }
        if (!kamelets.isEmpty()) {
            String location = main.getInitialProperties().getProperty("camel.component.kamelet.location");
            main.addInitialProperty("camel.component.kamelet.location",
                    (location == null ? "" : location + ",") + String.join(",", kamelets));
        }
        if (!propertiesFiles.isEmpty()) {
            propertiesFiles.sort((a, b) -> a.endsWith("application.properties") ? 1
                    : b.endsWith("application.properties") ? -1 : 0);
            StringJoiner locations = new StringJoiner(",");
            for (String file : new LinkedHashSet<>(propertiesFiles)) {
                locations.add("file://" + Path.of(file).toAbsolutePath());
            }
            main.addInitialProperty("camel.component.properties.location", locations.toString());
            main.setPropertyPlaceholderLocations(locations.toString());
        }
        if (!dependencies.isEmpty()) {
            main.addInitialProperty("camel.jbang.dependencies", String.join(",", dependencies));
        }
        System.exit(main.run(new String[0]));
    }
}
