package io.hfsync.hub;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.io.HttpRequestExecutor;
import org.apache.hc.core5.http.io.HttpClientConnection;
import org.apache.hc.core5.http.io.HttpResponseInformationCallback;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The HTTP client of every Hub call ({@code httpClientConfigurer=#hubHttpClient}): the bearer token for the Hub's
 * origin only ({@link BearerToken}), each connection a call uses reported to its run ({@link AbandonableCalls}),
 * which closes them when the run's time is up, and every answer read through a cap of {@code hub.max-answer-mb}
 * ({@link AnswerTooLargeException}).
 */
public final class HubHttpClient implements HttpClientConfigurer {

    private final BearerToken token;
    private final long maxAnswerBytes;

    public HubHttpClient(BearerToken token, long maxAnswerBytes) {
        this.token = token;
        this.maxAnswerBytes = maxAnswerBytes;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder clientBuilder) {
        token.configureHttpClient(clientBuilder);
        // outermost, so the cap counts the bytes as read after any decompression (a small gzip can inflate to gigabytes)
        clientBuilder.addExecInterceptorFirst("hf-answer-cap", (request, scope, chain) -> {
            ClassicHttpResponse response = chain.proceed(request, scope);
            if (response.getEntity() != null) {
                response.setEntity(new CappedEntity(response.getEntity(), maxAnswerBytes,
                        scope.execRuntime::discardEndpoint));
            }
            return response;
        });
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

    /**
     * An answer whose content stops being read past the cap, before any of it is held or spooled. Over the cap its
     * connection is dropped, not closed: closing an answer's stream makes the HTTP client read the rest of it to keep the
     * connection, which took a 600 MiB page to its end before the run could fail, and a body that never ends for ever
     * (bench/answer-cap.sh).
     */
    private static final class CappedEntity extends HttpEntityWrapper {
        private final long cap;
        private final Runnable dropConnection;
        private volatile boolean refused;

        CappedEntity(HttpEntity entity, long cap, Runnable dropConnection) {
            super(entity);
            this.cap = cap;
            this.dropConnection = dropConnection;
        }

        private AnswerTooLargeException refuse() {
            refused = true;
            dropConnection.run();
            return new AnswerTooLargeException(cap);
        }

        @Override
        public void close() throws IOException {
            if (!refused) {
                super.close();
            }
        }

        @Override
        public InputStream getContent() throws IOException {
            if (getContentLength() > cap) {
                // declared too large: refused before a byte of it is read
                throw refuse();
            }
            return new FilterInputStream(super.getContent()) {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    count(b < 0 ? -1 : 1);
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    count(n);
                    return n;
                }

                private void count(int n) throws IOException {
                    if (n > 0 && (read += n) > cap) {
                        throw refuse();
                    }
                }

                @Override
                public void close() throws IOException {
                    if (!refused) {
                        super.close();
                    }
                }
            };
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }
    }

    @Override
    public String toString() {
        return "HubHttpClient[" + token + "]";
    }
}
