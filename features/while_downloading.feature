@workload @order @while_downloading
Feature: A model speaks while another model downloads
  Users start a download and keep working. Generating with Qwen 0.6B while Qwen 1.7B downloaded
  failed (upstream 17). The real server's POST /models/download runs that model's loader in the
  background (backend/routes/models.py), so a download is also a load that competes with the
  generation for the engine and its memory; the matrix, which downloads everything before its
  first row, never sends a generation during one.

  Each row relaunches the server with the row's own model alone in a models folder of the run's
  (VOICEBOX_MODELS_DIR; hard links, the user's cache only read), so the other model is missing
  and must download. The suite asks for that download, waits until GET /tasks/active lists it as
  running, and sends the row's generation. The row's workload says how far the download was when
  the generation was sent and whether it was still running when the generation ended. A row that
  fails here, where the same model passed earlier in the run, is an order-dependent failure (cause
  order) naming the download; the download itself must then finish (within timeout_download), or
  the row fails with cause download. After each row the server goes back to the run's own cache.
  In a release run the downloads are real: 4.3 GB and 1.5 GB from the model hub.

  Background:
    Given a Voicebox server is running

  Scenario Outline: Row <row>: <engine> <model_size> speaks while <downloading> downloads
    Given the <voice> voice of <engine>
    And <downloading> is downloading, missing from the models folder the server was given
    When <engine> <model_size> (model <model_name>) speaks "The quick brown fox jumps over the lazy dog." in English
    Then the generation completes
    And the audio is a playable WAV of plausible length
    And it says the sentence it was given
    And it speaks as it did with nothing downloading
    And the download of <downloading> completes

    @qwen
    Examples: Qwen3-TTS Base, as in upstream 17
      | row | engine | model_size | model_name    | voice  | downloading   |
      | W1  | qwen   | 0.6B       | qwen-tts-0.6B | cloned | qwen-tts-1.7B |

    @kokoro
    Examples: Another engine's download
      | row | engine | model_size | model_name | voice    | downloading      |
      | W2  | kokoro | —          | kokoro     | af_heart | chatterbox-turbo |
