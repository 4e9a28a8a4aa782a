export {
  envelopeKeyId,
  newSecretKeyBase64,
  noSecretKey,
  openSecret,
  parseSecretKey,
  sealSecret,
  type SecretKey,
} from "./envelope";
