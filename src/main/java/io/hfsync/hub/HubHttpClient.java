package io.hfsync.hub;

import java.io.IOException;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The HTTP client of every Hub call ({@code httpClientConfigurer=#hubHttpClient}): the bearer token for the Hub's
 * origin only ({@link BearerToken}), and each connection a call uses reported to its run ({@link AbandonableCalls}),
 * which closes them when the run's time is up.
 */
public final class HubHttpClient implements HttpClientConfigurer {

    private final BearerToken token;

    public HubHttpClient(BearerToken token) {
        this.token = token;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder clientBuilder) {
        token.configureHttpClient(clientBuilder);
        clientBuilder.setRequestExecutor(new HttpRequestExecutor() {
            @Override
            public ClassicHttpResponse execute(ClassicHttpRequest request, HttpClientConnection connection,
                    HttpResponseInformationCallback informationCallback, HttpContext context) throws IOException, HttpException {
                AbandonableCalls calls = AbandonableCalls.current();
                if (calls != null) {
                    calls.track(connection);
                }
                return super.execute(request, connection, informationCallback, context);
            }
        });
    }

    @Override
    public String toString() {
        return "HubHttpClient[" + token + "]";
    }
}
