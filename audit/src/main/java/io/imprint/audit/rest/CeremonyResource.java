package io.imprint.audit.rest;

import io.imprint.audit.service.CeremonyService;
import io.imprint.contracts.events.CeremonySealedV1;
import io.imprint.pki.ceremony.CeremonySeal.InvalidSeal;
import io.imprint.service.ApiError;
import io.imprint.service.Await;
import io.imprint.service.OperatorRoles;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * An operator files a CA ceremony's sealed transcript with audit, which logs it once its seal holds. Ceremonies
 * run offline, at the token; this is how what they did reaches the tamper-evident log:
 * {@code curl -F transcript=@X.txt -F signature=@X.p7s -H 'Authorization: Bearer ...' .../audit/ceremonies}.
 */
@Path("/audit/ceremonies")
@RolesAllowed(OperatorRoles.AUDITOR)
public class CeremonyResource {
    /**
     * Transcripts are a few kilobytes, signatures about two; anything far larger is not one, and the event that
     * carries both must stay well under the broker's 1 MB record limit.
     */
    private static final long MAX_TRANSCRIPT = 256 * 1024;

    private static final long MAX_SIGNATURE = 64 * 1024;

    private final CeremonyService ceremonies;
    private final SecurityIdentity operator;

    public CeremonyResource(CeremonyService ceremonies, SecurityIdentity operator) {
        this.ceremonies = ceremonies;
        this.operator = operator;
    }

    /**
     * What audit logged.
     *
     * @param logged false when the same transcript was filed before
     */
    public record Filed(
            String requestId,
            String command,
            String sealedBy,
            String sealerSerial,
            List<String> stations,
            boolean logged) {
        static Filed of(CeremonyService.Recorded recorded) {
            CeremonySealedV1 c = recorded.ceremony();
            return new Filed(
                    c.requestId(), c.command(), c.sealedBy(), c.sealerSerial(), c.stations(), recorded.logged());
        }
    }

    /**
     * Files the transcript ({@code <time>-<command>.txt}, as the ceremony wrote it) and its signature
     * ({@code .p7s}, DER) as the form's two files.
     */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    public Response file(@RestForm("transcript") FileUpload transcript, @RestForm("signature") FileUpload signature) {
        if (transcript == null || signature == null) {
            return invalid("the form needs two files: transcript (the .txt) and signature (the .p7s)");
        }
        if (transcript.size() > MAX_TRANSCRIPT || signature.size() > MAX_SIGNATURE) {
            return invalid(
                    "a transcript is at most " + MAX_TRANSCRIPT + " bytes, its signature at most " + MAX_SIGNATURE);
        }
        byte[] text = read(transcript);
        byte[] p7s = read(signature);
        CeremonyService.Recorded recorded;
        try {
            recorded = Await.result(
                    () -> ceremonies.record(text, p7s, operator.getPrincipal().getName()));
        } catch (InvalidSeal e) {
            return invalid(e.getMessage());
        }
        return Response.status(recorded.logged() ? Response.Status.CREATED : Response.Status.OK)
                .entity(Filed.of(recorded))
                .build();
    }

    private static byte[] read(FileUpload part) {
        try {
            return Files.readAllBytes(part.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the uploaded " + part.name(), e);
        }
    }

    private static Response invalid(String message) {
        return new ApiError("INVALID_CEREMONY", message).response(Response.Status.BAD_REQUEST);
    }
}
