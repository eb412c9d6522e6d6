package io.hfsync.hub;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpRequestInterceptor;

/**
 * Adds {@code Authorization: Bearer <token>} inside the HTTP client, only to requests for the origin of
 * {@code hub.url}. The token never becomes a Camel message header, so no exchange dump, error log or trace can
 * show it, and a request to any other host or scheme goes without it.
 */
public final class BearerToken implements HttpClientConfigurer {

    private final String hubUrl;
    private final String token;

    public BearerToken(String hubUrl, String token) {
        this.hubUrl = hubUrl;
        this.token = token;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder clientBuilder) {
        if (token.isEmpty()) {
            return;
        }
        HttpRequestInterceptor addToken = (request, entity, context) -> {
            String target = request.getScheme() + "://" + request.getAuthority();
            if (HubUrls.sameOrigin(hubUrl, target)) {
                request.setHeader("Authorization", "Bearer " + token);
            }
        };
        clientBuilder.addRequestInterceptorLast(addToken);
    }

    @Override
    public String toString() {
        return "BearerToken[" + (token.isEmpty() ? "none" : "set") + "]";
    }
}
