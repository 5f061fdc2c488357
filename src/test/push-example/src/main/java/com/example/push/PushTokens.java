package com.example.push;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The users' push tokens (JPA). Joins the caller's transaction, or runs in its own. */
@ApplicationScoped
@Transactional
public class PushTokens {

  @PersistenceContext(unitName = "uplink")
  EntityManager entityManager;

  /** The token now belongs to the user, whoever had it before (a device changes hands). */
  public void register(String user, String token) {
    Instant now = Instant.now();
    find(token)
        .ifPresentOrElse(
            known -> known.assignTo(user, now),
            () -> entityManager.persist(new PushToken(user, token, now)));
  }

  public List<String> of(String user) {
    return entityManager
        .createQuery(
            "select t.token from PushToken t where t.user = :user order by t.id", String.class)
        .setParameter("user", user)
        .getResultList();
  }

  public void remove(String token) {
    find(token).ifPresent(entityManager::remove);
  }

  /** FCM told us the token's canonical form; keep only that one. */
  public void replace(String oldToken, String canonicalToken) {
    find(oldToken)
        .ifPresent(
            old -> {
              if (find(canonicalToken).isPresent()) {
                entityManager.remove(old);
              } else {
                old.replaceToken(canonicalToken);
              }
            });
  }

  private Optional<PushToken> find(String token) {
    return entityManager
        .createQuery("select t from PushToken t where t.token = :token", PushToken.class)
        .setParameter("token", token)
        .getResultStream()
        .findFirst();
  }
}
