package io.hfsync.sync;

import io.hfsync.hub.HubUrls;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns the exchange into one clean GET to the Hub. Everything else on the message was removed by the route
 * (quartz, file and previous-response headers would otherwise become request headers). The bearer token is
 * added only for the origin of {@code hub.url}.
 */
public final class PrepareHubRequest implements Processor {

    private final String hubUrl;
    private final String token;

    public PrepareHubRequest(String hubUrl, String token) {
        this.hubUrl = hubUrl;
        this.token = token;
    }

    @Override
    public void process(Exchange exchange) {
        String url = exchange.getProperty(StartListingPass.NEXT_URL_PROPERTY, String.class);
        HubUrls.requireSameOrigin(hubUrl, url);
        Message message = exchange.getMessage();
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader(Exchange.HTTP_URI, url);
        if (!token.isEmpty()) {
            message.setHeader("Authorization", "Bearer " + token);
        }
        SyncRun run = exchange.getProperty(SyncRun.PROPERTY, SyncRun.class);
        if (run != null) {
            run.countHubRequest();
        }
    }
}
