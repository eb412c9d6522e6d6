package io.hfsync.app;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The management server as camel-platform-http-main builds it, minus what hf-gguf-sync never serves: sending
 * messages into routes, uploading or downloading route sources, the developer console, {@code /observe/info} and
 * Jolokia. Camel applies
 * environment variables ({@code CAMEL_MANAGEMENT_SEND_ENABLED=true}, ...) over every properties file, so a
 * properties default cannot pin them; Camel Main asks the registry for its server factory first, and this one
 * turns them off whatever the configuration says, with one warning per key that asked for more.
 */
final class PinnedManagementServer extends DefaultMainHttpServerFactory {

    static final String BEAN = "hfSyncManagementServerFactory";
    private static final Logger LOG = LoggerFactory.getLogger(PinnedManagementServer.class);

    @Override
    public Service newHttpManagementServer(CamelContext camelContext, HttpManagementServerConfigurationProperties config) {
        List<String> refused = new ArrayList<>();
        if (config.isSendEnabled()) {
            refused.add("send-enabled");
            config.setSendEnabled(false);
        }
        if (config.isUploadEnabled()) {
            refused.add("upload-enabled");
            config.setUploadEnabled(false);
        }
        if (config.isDownloadEnabled()) {
            refused.add("download-enabled");
            config.setDownloadEnabled(false);
        }
        if (config.isDevConsoleEnabled()) {
            refused.add("dev-console-enabled");
            config.setDevConsoleEnabled(false);
        }
        if (config.isInfoEnabled()) {
            // /observe/info tells anyone the versions of Java, Camel and the OS: nothing a scraper needs
            refused.add("info-enabled");
            config.setInfoEnabled(false);
        }
        if (config.isJolokiaEnabled()) {
            refused.add("jolokia-enabled");
            config.setJolokiaEnabled(false);
        }
        refused.forEach(key -> LOG.warn("camel.management.{}=true ignored: hf-gguf-sync's management server serves "
                + "health and metrics only", key));
        return super.newHttpManagementServer(camelContext, config);
    }
}
