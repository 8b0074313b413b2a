// The function app: a Windows Elastic Premium plan (for function apps, Hybrid Connections, our tunnel
// to the Macs, work on Windows plans only), the site running our .NET 10 isolated worker (the package
// scripts/publish.sh builds, framework-dependent win-x64), its app settings, its hybrid connection relays to the MLX hosts, and data-plane roles on
// the storage account for its managed identity.
param name string
param location string
param storageAccountName string
param relayNamespaceName string
param appInsightsConnectionString string

@description('The MLX hosts: name, hostName, port, model.')
param hosts array

@description('Settings of the app (DocServer:*), see the repository README.')
param askEndpoints string
param backgroundEndpoints string
param askWaitBudget string
param backgroundWaitBudget string
param digestSchedule string
param gateSweepSchedule string
param taskHub string

var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${name}-plan'
  location: location
  kind: 'elastic'
  sku: { name: 'EP1', tier: 'ElasticPremium' }
  properties: {
    // false: a Windows plan. Hybrid Connections are not offered to function apps on Linux.
    reserved: false
    maximumElasticWorkerCount: 3
  }
}

var platformSettings = [
  { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
  { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet-isolated' }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
  // The app and the host reach storage with the managed identity: no key in these settings.
  { name: 'AzureWebJobsStorage__accountName', value: storage.name }
  // The content share is the platform's, and Azure Files takes only a key here (see infra/README.md).
  { name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING', value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}' }
  { name: 'WEBSITE_CONTENTSHARE', value: toLower(name) }
  { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
]

var appSettings = [
  { name: 'DocServer__AskEndpoints', value: askEndpoints }
  { name: 'DocServer__BackgroundEndpoints', value: backgroundEndpoints }
  // No cloud overflow unless one is configured: the documents are private.
  { name: 'DocServer__AskOverflowEndpoint', value: '' }
  { name: 'DocServer__AskOrder', value: 'PerAsk' }
  { name: 'DocServer__EvidenceFirstTokenTimeout', value: '00:00:20' }
  { name: 'DocServer__EvidenceIdleTimeout', value: '00:00:10' }
  { name: 'DocServer__EvidenceTimeout', value: '00:01:00' }
  { name: 'DocServer__SynthesisFirstTokenTimeout', value: '00:00:20' }
  { name: 'DocServer__SynthesisIdleTimeout', value: '00:00:10' }
  { name: 'DocServer__SynthesisTimeout', value: '00:02:00' }
  { name: 'DocServer__SummaryFirstTokenTimeout', value: '00:00:30' }
  { name: 'DocServer__SummaryIdleTimeout', value: '00:00:10' }
  { name: 'DocServer__SummaryTimeout', value: '00:03:00' }
  { name: 'DocServer__ProbeInterval', value: '00:00:10' }
  { name: 'DocServer__AskWaitBudget', value: askWaitBudget }
  { name: 'DocServer__BackgroundWaitBudget', value: backgroundWaitBudget }
  { name: 'DocServer__ExtractionRetryDelay', value: '00:00:05' }
  { name: 'DocServer__StreamPingInterval', value: '00:00:10' }
  { name: 'DocServer__RetrievalTopK', value: '10' }
  { name: 'DocServer__MaxQuestionChars', value: '2000' }
  { name: 'DocServer__MaxDocumentChars', value: '1000000' }
  { name: 'DocServer__MaxRequestBytes', value: '4194304' }
  { name: 'DocServer__AsyncResultTtl', value: '01:00:00' }
  { name: 'DocServer__IndexRefreshInterval', value: '00:00:02' }
  { name: 'DocServer__IndexSnapshotInterval', value: '00:05:00' }
  { name: 'DocServer__BacklogSampleInterval', value: '00:00:15' }
  { name: 'DocServer__StorageAskTimeout', value: '00:00:02' }
  { name: 'DocServer__StorageAskRetries', value: '1' }
  { name: 'DocServer__StorageBackgroundTimeout', value: '00:00:30' }
  { name: 'DocServer__StorageBackgroundRetries', value: '5' }
  { name: 'DocServer__DigestCutoffLag', value: '00:01:00' }
  // Named by the triggers in functions.metadata as %name%: the host resolves only flat names there (no '__', no ':').
  { name: 'DocServerDigestSchedule', value: digestSchedule }
  { name: 'DocServerGateSweepSchedule', value: gateSweepSchedule }
  { name: 'DocServerExtractionCatchUpSchedule', value: '0 */5 * * * *' }
  { name: 'DocServerTaskHub', value: taskHub }
  { name: 'DocServer__PromptsPath', value: 'prompts' }
  { name: 'DocServer__StoragePrefix', value: 'docserver' }
  // Standalone only (ignored under the Functions host, which fires timers and queues and checks function keys).
  { name: 'DocServer__Standalone', value: 'false' }
  { name: 'DocServer__FunctionKey', value: '' }
]

// One endpoint per MLX host, reached by its home-network name through the hybrid connection.
// An empty value means "not set" to the app (no API key, no aging).
var endpointSettingsPerHost = [for host in hosts: [
  { name: 'DocServer__Endpoints__${host.name}__Url', value: 'http://${host.hostName}:${host.port}/v1' }
  { name: 'DocServer__Endpoints__${host.name}__Model', value: host.model }
  { name: 'DocServer__Endpoints__${host.name}__ApiKey', value: '' }
  { name: 'DocServer__Endpoints__${host.name}__Gated', value: 'true' }
  { name: 'DocServer__Endpoints__${host.name}__Capacity', value: '1' }
  { name: 'DocServer__Endpoints__${host.name}__LeaseTtl', value: '00:00:15' }
  { name: 'DocServer__Endpoints__${host.name}__WaiterTtl', value: '00:00:30' }
  { name: 'DocServer__Endpoints__${host.name}__AgingAfter', value: '' }
]]
var endpointSettings = flatten(endpointSettingsPerHost)

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  kind: 'functionapp'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      // The isolated worker runs on the plan's .NET 10 (the package is framework-dependent), 64-bit.
      netFrameworkVersion: 'v10.0'
      use32BitWorkerProcess: false
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: concat(platformSettings, appSettings, endpointSettings)
    }
  }
}

// Deploy with Entra ID (az functionapp deployment), never with basic-auth publishing credentials.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2023-12-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

resource relays 'Microsoft.Web/sites/hybridConnectionNamespaces/relays@2023-12-01' = [for host in hosts: {
  name: '${site.name}/${relayNamespaceName}/${host.name}'
  properties: {
    relayName: host.name
    relayArmUri: resourceId('Microsoft.Relay/namespaces/hybridConnections', relayNamespaceName, host.name)
    hostname: host.hostName
    port: host.port
    sendKeyName: 'send'
    sendKeyValue: listKeys(resourceId('Microsoft.Relay/namespaces/hybridConnections/authorizationRules', relayNamespaceName, host.name, 'send'), '2021-11-01').primaryKey
    serviceBusNamespace: relayNamespaceName
    serviceBusSuffix: '.servicebus.windows.net'
  }
}]

resource roles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for role in [storageBlobDataOwner, storageQueueDataContributor, storageTableDataContributor]: {
  scope: storage
  name: guid(storage.id, site.id, role)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}]

output name string = site.name
output hostName string = site.properties.defaultHostName
output principalId string = site.identity.principalId
