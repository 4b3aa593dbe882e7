package io.imprint.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/** PEM encoding and decoding of certificates, CSRs and keys. */
public final class Pem {
    private static final Base64.Encoder LINES = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {}

    public static String encode(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** RFC 7468 text: base64 in lines of 64 characters between the type's BEGIN and END lines. */
    public static String encode(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + LINES.encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** A certificate, written directly rather than through BouncyCastle's generic PEM writer (hot path). */
    public static String encode(X509Certificate certificate) {
        try {
            return encode("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    /** All PEM blocks of the given type, in order; other block types are skipped. */
    public static List<byte[]> decodeAll(String pem, String type) {
        List<byte[]> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(pem))) {
            for (PemObject object = reader.readPemObject(); object != null; object = reader.readPemObject()) {
                if (object.getType().equals(type)) {
                    blocks.add(object.getContent());
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("not valid PEM", e);
        }
        return blocks;
    }

    public static List<X509Certificate> certificates(String pem) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (byte[] der : decodeAll(pem, "CERTIFICATE")) {
            certificates.add(certificate(der));
        }
        return certificates;
    }

    public static X509Certificate certificate(byte[] der) {
        try {
            return new JcaX509CertificateConverter()
                    .setProvider(Providers.BC)
                    .getCertificate(new X509CertificateHolder(der));
        } catch (IOException | CertificateException e) {
            throw new IllegalArgumentException("not a DER X.509 certificate", e);
        }
    }
}
