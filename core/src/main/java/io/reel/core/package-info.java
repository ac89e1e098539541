/**
 * What every Reel function shares: configuration ({@link io.reel.core.Env}), SDK clients
 * ({@link io.reel.core.AwsClients}), JSON ({@link io.reel.core.Json}), HTTP responses
 * ({@link io.reel.core.http.HttpResponses}), the domain records ({@code domain}) and the ports the functions'
 * services depend on ({@code port}).
 */
package io.reel.core;
