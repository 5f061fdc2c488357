/**
 * The CCS wire protocol, free of any framework: the JSON records carried inside {@code <gcm
 * xmlns="google:mobile:data">} stanzas, their strict codec and the validation rules of {@code
 * shared/docs/ccs-protocol.md}. No Smack, JPA or CDI types appear here.
 */
package io.uplink.ccs;
