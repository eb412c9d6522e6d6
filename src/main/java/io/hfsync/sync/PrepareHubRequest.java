package io.hfsync.sync;

import io.hfsync.hub.HubUrls;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Turns the exchange into one clean GET to the Hub. Everything else on the message was removed by the route
 * (quartz, file and previous-response headers would otherwise become request headers). A URL outside
 * {@code hub.url}'s origin is refused before anything is sent.
 */
public final class PrepareHubRequest implements Processor {

    private final String hubUrl;

    public PrepareHubRequest(String hubUrl) {
        this.hubUrl = hubUrl;
    }

    @Override
    public void process(Exchange exchange) {
        String url = exchange.getProperty(RunProperties.HUB_URL, String.class);
        HubUrls.requireSameOrigin(hubUrl, url);
        Message message = exchange.getMessage();
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader(Exchange.HTTP_URI, url);
    }
}
