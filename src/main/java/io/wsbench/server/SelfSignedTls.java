package io.wsbench.server;

import io.wsbench.servers.ServeMain;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Server TLS with a throwaway self-signed certificate, for {@code ServeMain --tls} and the client's
 * {@code wss://} tests. No client trusts it unless told to ({@code -p trustAllCertificates=true}).
 */
public final class SelfSignedTls {
    private SelfSignedTls() {
    }

    /**
     * A server context whose certificate is issued to {@code hostname}.
     *
     * @throws IllegalStateException if the JDK cannot generate the key pair or certificate
     */
    // Netty 4.2 deprecates SelfSignedCertificate in favour of netty-pkitesting, a dependency this
    // one use does not justify; it still generates the certificate with the JDK alone.
    @SuppressWarnings("deprecation")
    public static SslContext serverContext(String hostname) {
        SelfSignedCertificate certificate = null;
        try {
            certificate = SelfSignedCertificate.builder().fqdn(hostname).build();
            return SslContextBuilder.forServer(certificate.key(), certificate.cert()).build();
        } catch (CertificateException | SSLException e) {
            throw new IllegalStateException("could not create a self-signed certificate for " + hostname + ": " + e.getMessage(), e);
        } finally {
            if (certificate != null) {
                certificate.delete(); // key and certificate are in the context now; drop the temp files
            }
        }
    }
}
