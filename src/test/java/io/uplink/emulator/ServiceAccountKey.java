package io.uplink.emulator;

import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A Google service account made up for the HTTP v1 emulator: an RSA key pair and the JSON key file
 * a Firebase project would hand out ({@code type}, {@code project_id}, {@code private_key_id},
 * {@code private_key} as PKCS#8 PEM, {@code client_email}, {@code token_uri}). The emulator keeps
 * the public key to check the signed assertions of token requests. Immutable.
 */
final class ServiceAccountKey {

  private final String projectId;
  private final String clientEmail;
  private final String keyId;
  private final KeyPair keys;

  private ServiceAccountKey(String projectId, KeyPair keys) {
    this.projectId = projectId;
    this.clientEmail = "uplink-sender@" + projectId + ".iam.gserviceaccount.com";
    this.keyId = HexFormat.of().formatHex(keys.getPublic().getEncoded(), 0, 20);
    this.keys = keys;
  }

  static ServiceAccountKey create(String projectId) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return new ServiceAccountKey(projectId, generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot make a service account key", e);
    }
  }

  String clientEmail() {
    return clientEmail;
  }

  String keyId() {
    return keyId;
  }

  PublicKey publicKey() {
    return keys.getPublic();
  }

  /** The JSON key file's text, naming {@code tokenUrl} as its {@code token_uri}. */
  String json(URI tokenUrl) {
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(keys.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return JsonProvider.provider()
        .createObjectBuilder()
        .add("type", "service_account")
        .add("project_id", projectId)
        .add("private_key_id", keyId)
        .add("private_key", pem)
        .add("client_email", clientEmail)
        .add("client_id", "100000000000000000001")
        .add("token_uri", tokenUrl.toString())
        .build()
        .toString();
  }

  /** Writes the JSON key file, readable by its owner only where the file system has owners. */
  Path write(Path file, URI tokenUrl) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, json(tokenUrl));
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the service account key", e);
    }
  }
}
