// Stream width converters. The stream is one little-endian bit string: the first input word ends up in the
// lowest bits of a wider output word, and a wide input word leaves lowest bits first. Both converters accept
// and emit one word per cycle and never drop or repeat a word under backpressure.

// bs_dwc_down: IW*RATIO -> IW bits (RATIO >= 2). A word is held and shifted out lowest part first; the next
// word is taken in the cycle its last part leaves.
module bs_dwc_down #(
  parameter OW = 8,
  parameter RATIO = 2
) (
  input  wire                clk,
  input  wire                rst_n,
  input  wire [OW*RATIO-1:0] in_data,
  input  wire                in_valid,
  output wire                in_ready,
  output wire [OW-1:0]       out_data,
  output wire                out_valid,
  input  wire                out_ready
);
  localparam HW = OW * RATIO;
  localparam CW = $clog2(RATIO + 1);
  localparam integer RATIO_I = RATIO;
  localparam [CW-1:0] FULL = RATIO_I[CW-1:0];
  localparam [CW-1:0] ONE = {{(CW-1){1'b0}}, 1'b1};

  reg [HW-1:0] hold;
  reg [CW-1:0] count;
  wire pop = out_valid && out_ready;
  assign out_valid = count != {CW{1'b0}};
  assign out_data = hold[OW-1:0];
  assign in_ready = !out_valid || (pop && count == ONE);
  wire push = in_valid && in_ready;

  always @(posedge clk) begin
    if (!rst_n) begin
      count <= {CW{1'b0}};
    end else if (push) begin
      count <= FULL;
    end else if (pop) begin
      count <= count - ONE;
    end
  end

  always @(posedge clk) begin
    if (push) hold <= in_data;
    else if (pop) hold <= {{OW{1'b0}}, hold[HW-1:OW]};
  end
endmodule
